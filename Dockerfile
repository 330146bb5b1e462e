# One image for every jrp process; the command picks the entry point:
#   node dist/apps/standalone/src/main.js          (the default: one process, embedded PostgreSQL)
#   node dist/apps/{list-ingestion,measures,feedback}/src/main.js
#   node dist/tools/migrate/cli.js                 (runs the migrations and exits)
#   node dist/tools/admin/cli.js …, node dist/tools/dlq/cli.js …, node dist/tools/rotate-data-keys/cli.js …
# The application (/app) belongs to root and is read-only for the `node` user the processes run as;
# everything they write goes under JRP_DATA_DIR (/var/lib/jrp, a volume).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY tools tools
# read-only here, where it costs no layer of its own: COPY keeps the modes
RUN npm run build && npm prune --omit=dev --no-audit --no-fund \
  && chmod -R a-w package.json dist node_modules

FROM node:22-bookworm-slim
# JRP_HOST: a container is reached through its own network interface (npm start alone binds 127.0.0.1)
ENV NODE_ENV=production JRP_DATA_DIR=/var/lib/jrp JRP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules node_modules
COPY --from=build --chown=root:root /app/dist dist
RUN mkdir -p /var/lib/jrp && chown node:node /var/lib/jrp && chmod 700 /var/lib/jrp
USER node
VOLUME /var/lib/jrp
EXPOSE 3000
CMD ["node", "dist/apps/standalone/src/main.js"]
