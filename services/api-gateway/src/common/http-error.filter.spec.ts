import { NotFoundException, PayloadTooLargeException, UnsupportedMediaTypeException, type ArgumentsHost } from '@nestjs/common';
import { DomainError } from '@am/contracts';
import { HttpErrorFilter } from './http-error.filter';

function respond(exception: unknown) {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(exception, host);
  return { status: res.status.mock.calls[0][0] as number, body: res.json.mock.calls[0][0] as { error: Record<string, unknown> } };
}

describe('HttpErrorFilter', () => {
  it.each([
    ['VALIDATION_FAILED', 400],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['ALREADY_DECIDED', 409],
    ['DUPLICATE_PENDING_REQUEST', 409],
    ['ROLE_ALREADY_HELD', 409],
    ['MANAGED_IN_ACO_MS', 422],
    ['REGISTRATION_CLOSED', 422],
    ['REGISTRATION_NOT_APPLICABLE', 422],
    ['MALFORMED_JSON', 400],
    ['PAYLOAD_TOO_LARGE', 413],
    ['UNSUPPORTED_MEDIA_TYPE', 415],
    ['SERVICE_UNAVAILABLE', 503],
  ] as const)('answers %s with %i and the error shape', (code, status) => {
    const r = respond(new DomainError(code, 'why', 'field'));
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ error: { code, message: 'why', field: 'field' } });
  });

  it('keeps framework errors in the same shape', () => {
    expect(respond(new NotFoundException('Cannot GET /nope'))).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'Cannot GET /nope' } } });
    expect(respond(new PayloadTooLargeException()).body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(respond(new PayloadTooLargeException()).status).toBe(413);
    expect(respond(new UnsupportedMediaTypeException())).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
  });

  it('answers body-parser errors as the client errors they are, each with its code, never echoing the body', () => {
    const httpError = (status: number, type: string, more: object = {}) => Object.assign(new Error(type), { status, statusCode: status, type, expose: true, ...more });
    const parse = respond(httpError(400, 'entity.parse.failed', { body: '{"password":"hunter2"' }));
    expect(parse).toEqual({ status: 400, body: { error: { code: 'MALFORMED_JSON', message: expect.stringContaining('not valid JSON'), field: 'body' } } });
    expect(JSON.stringify(parse)).not.toContain('hunter2');
    expect(respond(httpError(413, 'entity.too.large', { limit: 102400, length: 300000 }))).toEqual({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than the limit of 100 kB', field: 'body' } },
    });
    expect(respond(httpError(415, 'charset.unsupported'))).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-type' } } });
    expect(respond(httpError(415, 'encoding.unsupported'))).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', field: 'content-encoding' } } });
    expect(respond(httpError(400, 'request.aborted'))).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'body' } } });
  });

  it('never leaks an unexpected error', () => {
    const r = respond(new Error('connection string postgres://secret'));
    expect(r).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } });
  });
});
