import assert from 'node:assert/strict';
import { test } from 'node:test';
import { greeting } from '../server.js';

test('greets', () => assert.equal(greeting('shop'), 'hello, shop'));
