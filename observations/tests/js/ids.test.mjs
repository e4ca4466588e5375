import assert from "node:assert/strict";
import { webcrypto } from "node:crypto";
import { test } from "node:test";

import { newId } from "../../../static/observations/capture/ids.js";

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("ids are version 4 UUIDs, also where randomUUID is missing", () => {
  assert.match(newId(), UUID4);
  const older = { getRandomValues: (bytes) => webcrypto.getRandomValues(bytes) };
  const ids = new Set(Array.from({ length: 50 }, () => newId(older)));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, UUID4);
});
