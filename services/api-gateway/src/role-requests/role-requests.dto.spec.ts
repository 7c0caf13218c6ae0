import { randomUUID } from 'node:crypto';
import type { ArgumentMetadata } from '@nestjs/common';
import { DomainError } from '@am/contracts';
import { createValidationPipe } from '../common/validation';
import { DecisionsDto, RequestIdParams } from './role-requests.dto';

const pipe = createValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

async function refusal(value: unknown, metatype: ArgumentMetadata['metatype'] = DecisionsDto): Promise<{ field?: string; message: string }> {
  try {
    await pipe.transform(value, body(metatype));
  } catch (err) {
    if (err instanceof DomainError) return { field: err.field, message: err.message };
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(value)}`);
}

describe('bulk decision and request id input (issue 17)', () => {
  const id = randomUUID();

  it('names the rule requestIds breaks first: the array itself, then its size, then duplicates, then each id', async () => {
    expect(await refusal({ decision: 'APPROVE', requestIds: id })).toEqual({ field: 'requestIds', message: 'requestIds must be an array of request ids' });
    expect(await refusal({ decision: 'APPROVE', requestIds: { 0: id, length: 1 } })).toEqual({ field: 'requestIds', message: 'requestIds must be an array of request ids' });
    expect(await refusal({ decision: 'APPROVE', requestIds: [] })).toEqual({ field: 'requestIds', message: 'requestIds must name at least 1 request' });
    expect(await refusal({ decision: 'APPROVE', requestIds: Array.from({ length: 101 }, () => randomUUID()) })).toEqual({ field: 'requestIds', message: 'requestIds must name at most 100 requests' });
    expect(await refusal({ decision: 'APPROVE', requestIds: [id, id] })).toEqual({ field: 'requestIds', message: 'requestIds must not name a request twice' });
    expect(await refusal({ decision: 'APPROVE', requestIds: [id, 'nope'] })).toEqual({ field: 'requestIds', message: 'requestIds must be UUIDs' });
  });

  it('reads ids in capitals as the same requests: in lower case, so naming one twice in two cases is a duplicate', async () => {
    const dto = (await pipe.transform({ decision: 'DENY', requestIds: [id.toUpperCase()] }, body(DecisionsDto))) as DecisionsDto;
    expect(dto.requestIds).toEqual([id]);
    expect(await refusal({ decision: 'APPROVE', requestIds: [id, id.toUpperCase()] })).toEqual({ field: 'requestIds', message: 'requestIds must not name a request twice' });
    const params = (await pipe.transform({ id: id.toUpperCase() }, { type: 'param', metatype: RequestIdParams })) as RequestIdParams;
    expect(params.id).toBe(id);
    expect(await refusal({ id: 'NOT-A-UUID' }, RequestIdParams)).toEqual({ field: 'id', message: 'id must be a UUID' });
  });
});
