/** The InputError a call throws; fails the test when it throws nothing or something else. */
import { InputError } from '../../shared/model/errors';

export function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}
