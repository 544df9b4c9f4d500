-- POST an order per request: a fresh Idempotency-Key each time (BENCH_KEY_PREFIX, thread, counter),
-- the tokens of BENCH_TOKENS_FILE (one a line) in turn, each thread its own share of them.
local report = dofile(os.getenv('BENCH_WRK_DIR') .. '/report.lua')

local threads = 0
function setup(thread)
  thread:set('thread_no', threads)
  threads = threads + 1
end

local tokens, prefix, n = {}, nil, 0
local body = os.getenv('BENCH_BODY')

function init(args)
  local all = {}
  for line in io.lines(os.getenv('BENCH_TOKENS_FILE')) do
    if line ~= '' then all[#all + 1] = line end
  end
  local thread_count = tonumber(os.getenv('BENCH_THREADS') or '1')
  for i, token in ipairs(all) do
    if (i - 1) % thread_count == thread_no then tokens[#tokens + 1] = token end
  end
  if #tokens == 0 then tokens = all end -- fewer tokens than threads: share them
  prefix = os.getenv('BENCH_KEY_PREFIX') .. '-' .. thread_no .. '-'
end

function request()
  n = n + 1
  return wrk.format('POST', nil, {
    ['Authorization'] = 'Bearer ' .. tokens[(n % #tokens) + 1],
    ['Content-Type'] = 'application/json',
    ['Idempotency-Key'] = prefix .. n,
  }, body)
end

done = report.done
