# The dashboard's front-end libraries, from the npm registry as package-lock.json pins them.
FROM node:20-slim AS ui
WORKDIR /ui
COPY graphsvc/ui/package.json graphsvc/ui/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
# nginx buffers every request in front of gunicorn (graphsvc serve starts both).
RUN apt-get update && apt-get install -y --no-install-recommends nginx-light && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graphsvc ./graphsvc
COPY cypher ./cypher
COPY --from=ui /ui/node_modules ./graphsvc/ui/node_modules
RUN pip install --no-cache-dir .
ENV GRAPHSVC_VAR_DIR=/var/lib/graphsvc GRAPHSVC_BIND=0.0.0.0:8000
EXPOSE 8000
CMD ["graphsvc", "serve"]
