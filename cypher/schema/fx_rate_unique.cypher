CREATE CONSTRAINT fx_rate_unique IF NOT EXISTS FOR (x:FxRate) REQUIRE (x.currency, x.month) IS UNIQUE
