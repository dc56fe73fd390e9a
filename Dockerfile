# The Data Journey API (GraphQL over HTTP, and ML Metadata's gRPC API), compiled: the build stage runs `npm run build`
# (tsc to dist/), the image runs `node dist/main.js` with production dependencies only (no
# tsx, no TypeScript). docker-compose.yml pairs it with Neo4j; README "Run with Docker".

# 1. Compile. The full image carries python3, make and g++ in case better-sqlite3 must
#    build from source.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci` builds the web explorer (prepare: scripts/web/build.mjs, web/ → web/dist).
COPY scripts/web ./scripts/web
COPY web ./web
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# 2. Production dependencies only, built on the same Debian release as the image below.
FROM node:20-bookworm AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# prepare runs here too; without Vite (a dev dependency) it builds nothing.
COPY scripts/web ./scripts/web
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The image: compiled code, the schema, Cypher and .proto files it reads at start, and the CLI.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json schema.graphql ./
COPY cypher ./cypher
COPY proto ./proto
# The OpenLineage spec the intake checks events against (src/service/openlineage/validation.ts).
COPY spec ./spec
COPY bin ./bin
COPY --from=build /app/dist ./dist
# The web explorer, served at / (src/server/explorer.ts).
COPY --from=build /app/web/dist ./web/dist
# `journey keys ...` on PATH (bin/journey.js runs dist/cli/main.js where there is no src/).
# The SQLite backend and the bootstrap key file live under ./data (a volume in compose).
RUN ln -s /app/bin/journey.js /usr/local/bin/journey \
 && mkdir -p data && chown node:node data
USER node

ENV JOURNEY_HOST=0.0.0.0 \
    JOURNEY_PORT=4000 \
    JOURNEY_GRPC_PORT=8080
# GraphQL over HTTP, and ML Metadata's gRPC API (its own default port).
EXPOSE 4000 8080
# node itself, not npm: signals reach the server, which then shuts down cleanly.
CMD ["node", "dist/main.js"]
