# One image recipe for the four services: `docker build --build-arg SERVICE=directory .`
# Stage 1 installs and builds the whole workspace; stage 2 keeps production dependencies and
# the one service's build, and runs it as the unprivileged `node` user.
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc nx.json tsconfig.base.json ./
COPY libs libs
COPY services services
RUN npm install --no-audit --no-fund
RUN npx nx run-many -t build --output-style=static
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20.19.5-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/libs libs
COPY --from=build --chown=node:node /app/services/${SERVICE} services/${SERVICE}
# The web UI's static build, which the api-gateway serves at / (a few hundred KB in every image).
COPY --from=build --chown=node:node /app/services/web/dist services/web/dist
USER node
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s --retries=3 CMD ["sh", "-c", "node services/${SERVICE}/dist/healthcheck.js"]
CMD ["sh", "-c", "exec node --enable-source-maps services/${SERVICE}/dist/main.js"]
