import { describe, expect, it } from 'vitest';
import { fieldOf } from './error-handler.ts';

describe('fieldOf', () => {
  it('names the field of a schema failure', () => {
    expect(fieldOf('body', { instancePath: '/billingAddress/postalCode' })).toBe('body.billingAddress.postalCode');
    expect(fieldOf('body', { instancePath: '', params: { missingProperty: 'reason' } })).toBe('body.reason');
    expect(fieldOf('querystring', { instancePath: '', params: { additionalProperty: 'colour' } })).toBe('querystring.colour');
    expect(fieldOf('body', { instancePath: '/contacts/0/value' })).toBe('body.contacts.0.value');
  });
});
