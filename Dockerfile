# One image for the API, the workers and the migration step; the command picks the role.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY workers ./workers
RUN pip install . && useradd --system --uid 10001 duyet
USER duyet
EXPOSE 8000
CMD ["duyet", "serve", "--host", "0.0.0.0", "--port", "8000"]
