import { describe, expect, it } from 'vitest';
import { isServerVersionSupported } from '../../infra/local/temporal-cli';

describe('Temporal CLI version check', () => {
  it.each([
    ['temporal version 1.5.1 (Server 1.29.1, UI 2.42.1)', true],
    ['temporal version 0.0.0-DEV (Server 1.29.1, UI 2.42.1)', true],
    ['temporal version 1.1.0 (Server 1.27.0, UI 2.30.0)', true],
    ['temporal version 0.13.0 (Server 1.24.2, UI 2.28.0)', false],
    ['tctl version 1.18', false],
  ])('%s → %s', (output, supported) => {
    expect(isServerVersionSupported(output)).toBe(supported);
  });
});
