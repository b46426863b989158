# syntax=docker/dockerfile:1
# One image for every service: SERVICE=gateway|doctors|appointments|patients|audit|migrate picks what
# launcher/src/serve.ts starts (docs/deployment.md lists the variables). Build:
#   docker build -t clinic .            (docker build --build-arg SERVICE=audit sets the default service)
# Three stages: `build` installs everything, generates the Prisma clients and bundles the TypeScript into
# dist/serve.js; `deps` installs production dependencies only; the final stage copies both onto a slim
# Node image and runs as an unprivileged user with nothing writable but /tmp. Node 24 LTS, the minor the
# whole suite also runs on in CI (dev/node24 pins that binary; dev/serve/dockerfile.test.ts keeps them in step).
ARG NODE_IMAGE=node:24.22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY libs/testing/package.json libs/testing/
COPY launcher/package.json launcher/
COPY gateway/package.json gateway/
COPY subgraphs/appointments/package.json subgraphs/appointments/
COPY subgraphs/doctors/package.json subgraphs/doctors/
COPY subgraphs/patients/package.json subgraphs/patients/
COPY subgraphs/audit/package.json subgraphs/audit/
# The postinstall step generates the Prisma clients (offline) from these.
COPY prisma prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsx launcher/src/build.ts dist

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY libs/testing/package.json libs/testing/
COPY launcher/package.json launcher/
COPY gateway/package.json gateway/
COPY subgraphs/appointments/package.json subgraphs/appointments/
COPY subgraphs/doctors/package.json subgraphs/doctors/
COPY subgraphs/patients/package.json subgraphs/patients/
COPY subgraphs/audit/package.json subgraphs/audit/
# Scripts are off: the only one is the Prisma generate, whose output is already in the bundle. npm lays
# each package where the lockfile says, as in the build stage, so the bundle's nested paths hold.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
ARG SERVICE=gateway
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    PORT=8080 \
    LISTEN_HOST=0.0.0.0 \
    SCHEMA_DIR=/app/schema \
    MIGRATIONS_DIR=/app/prisma \
    NODE_PATH=/app/gateway/node_modules:/app/libs/platform/node_modules
WORKDIR /app
# Everything belongs to root and is read-only for the service user (uid 10001, as in k8s/).
COPY --from=deps /app /app
COPY --from=build /app/dist /app/dist
COPY schema /app/schema
COPY prisma /app/prisma
USER 10001:10001
EXPOSE 8080 9464
# Node is PID 1 and handles SIGTERM itself (serve.ts stops HTTP, then the bus, then the databases).
ENTRYPOINT ["node", "--enable-source-maps", "dist/serve.js"]
