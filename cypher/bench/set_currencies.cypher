// Benchmarks only: orders in three currencies, by id (a third each of USD, EUR and JPY;
// a JPY amount is whole yen, so its minor units are the USD cents read as yen).
MATCH (o:Order)
WHERE o.at >= $from AND o.at < $to
WITH o, toInteger(substring(o.id, 1)) % 3 AS third
SET o.currency = ['USD', 'EUR', 'JPY'][third]
RETURN count(*) AS orders
