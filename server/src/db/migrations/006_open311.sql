-- Open311 GeoReport v2: third-party apps file complaints with an API key.
CREATE TABLE open311_clients (
  id            serial PRIMARY KEY,
  name          text NOT NULL,
  api_key_hash  text NOT NULL UNIQUE,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);
