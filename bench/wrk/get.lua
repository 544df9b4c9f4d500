-- GET the URL given to wrk (its -H headers included); with BENCH_PATHS="/a,/b" each path in turn.
local report = dofile(os.getenv('BENCH_WRK_DIR') .. '/report.lua')

-- Defined only for several paths: without request(), wrk builds the request once, which costs less.
if os.getenv('BENCH_PATHS') then
  local paths, n = {}, 0
  for path in string.gmatch(os.getenv('BENCH_PATHS'), '[^,]+') do paths[#paths + 1] = path end
  function request()
    n = n + 1
    return wrk.format('GET', paths[(n % #paths) + 1])
  end
end

done = report.done
