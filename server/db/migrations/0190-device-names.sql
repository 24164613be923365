-- Devices have names ("Moto g(60) de Carlos"), so an owner tells two phones of one collector
-- apart: proposed by the phone at registration, made unique per collector, editable by the owner.
-- The CHECK says what shared/sync/device-name.ts DeviceNameSchema says (1 to 60 characters,
-- trimmed); a device registered before this migration has none until it is named, and the
-- status answer names it from its user agent meanwhile.
ALTER TABLE sync_devices ADD COLUMN name text
  CHECK (name IS NULL OR (name = btrim(name) AND length(name) BETWEEN 1 AND 60));
