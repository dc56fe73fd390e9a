# The Data Journey API (GraphQL over HTTP). Runs the TypeScript sources through tsx, as
# `npm start` does in development; docker-compose.yml pairs it with Neo4j.
FROM node:20-bookworm

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so a source change does not reinstall them. The full (not -slim)
# image carries python3, make and g++ in case better-sqlite3 must build from source.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json schema.graphql ./
COPY src ./src
COPY cypher ./cypher

# The SQLite backend (JOURNEY_BACKEND=sqlite) writes under ./data; Neo4j needs no local files.
RUN mkdir -p data && chown node:node data
USER node

ENV JOURNEY_HOST=0.0.0.0 \
    JOURNEY_PORT=4000
EXPOSE 4000
CMD ["npm", "start"]
