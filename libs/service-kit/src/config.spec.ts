import { commonShape, env, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig(commonShape, {});
    expect(c).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', DIRECTORY_PORT: 4001, NODE_ENV: 'development' });
  });

  it('lists every invalid variable at once', () => {
    const shape = { ...commonShape, LIMIT: env.positiveInt(5) };
    let message = '';
    try {
      loadConfig(shape, { DIRECTORY_PORT: '70000', NODE_ENV: 'staging', LIMIT: '-1' });
    } catch (e) {
      message = (e as Error).message;
    }
    const named = message.split('\n').slice(1).map((l) => l.trim().split(':')[0]);
    expect(named.sort()).toEqual(['DIRECTORY_PORT', 'LIMIT', 'NODE_ENV']);
  });
});
