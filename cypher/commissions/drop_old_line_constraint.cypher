// The line key before generations (replaced by commission_line_key_unique).
DROP CONSTRAINT commission_line_unique IF EXISTS
