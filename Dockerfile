# The modelci GitHub App. Build: docker build -t modelci-app .
# Run: docker run -p 3000:3000 -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET modelci-app
# Stage 1 compiles the TypeScript sources into dist/ (scripts/build-package.ts, what `npm pack`
# runs), so the image needs no tsx. Install scripts are skipped: nothing the build runs needs them.
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN node_modules/.bin/tsx scripts/build-package.ts

# Stage 2: production dependencies and the compiled App. onnxruntime-node is not one of them (the
# App runs no model), and none of them has an install script.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY app.yml ./
COPY bin ./bin
COPY --from=build /src/dist ./dist

USER node
EXPOSE 3000
# Probot's environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET (required in
# production), WEBHOOK_PATH, PORT, LOG_LEVEL, GHE_HOST/GHE_PROTOCOL. HOST=0.0.0.0 listens on all
# interfaces inside the container.
ENV HOST=0.0.0.0 PORT=3000
HEALTHCHECK --interval=30s --timeout=5s \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/ping`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1 (not npm), so `docker stop` reaches the App's SIGTERM handling directly.
CMD ["node", "bin/modelci-app.js"]
