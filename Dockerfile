# The API with its locked dependencies; SQLite in /app/data unless DATABASE_URL is set.
FROM python:3.11-slim

WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8000

# Dependencies first, in their own cached layer.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY pyproject.toml alembic.ini README.md ./
COPY app ./app
COPY migrations ./migrations
COPY seeds ./seeds
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e . \
    && conflict-events build-cache

EXPOSE 8000
CMD ["sh", "-c", "conflict-events migrate && conflict-events seed && conflict-events serve"]
