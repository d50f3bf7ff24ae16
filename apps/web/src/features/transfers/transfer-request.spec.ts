import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { errorsFromApi, initialTransferDraft, toCreateRequest } from './transfer-request';

describe(toCreateRequest.name, () => {
  it('leaves out a blank container and prefix, and trims what was typed', () => {
    expect(toCreateRequest(2, ['a'], initialTransferDraft)).toEqual({ courseId: 2, fileIds: ['a'], conflict: 'skip_identical' });
    expect(toCreateRequest(2, ['a'], { container: ' archive ', prefix: ' 2025/ ', conflict: 'fail' })).toEqual({
      courseId: 2,
      fileIds: ['a'],
      container: 'archive',
      prefix: '2025/',
      conflict: 'fail',
    });
  });
});

describe(errorsFromApi.name, () => {
  const validation = (fields: Record<string, string[]>) =>
    new ApiError(400, 'validation_failed', 'Some fields are missing or invalid.', { fields });

  it("puts a 400's messages on the form's fields, the course and file ids on the selection", () => {
    expect(
      errorsFromApi(
        validation({
          container: ['A container name must be 3 to 63 characters long.', 'Lowercase only.'],
          fileIds: ['Select at least one file.'],
          courseId: ['courseId must be a Moodle course id (1 or more).'],
        }),
      ),
    ).toEqual({
      container: { text: 'A container name must be 3 to 63 characters long. Lowercase only.' },
      fileIds: { text: 'Select at least one file. courseId must be a Moodle course id (1 or more).' },
    });
  });

  it('blames the container for container_not_allowed, and no field for anything else', () => {
    expect(errorsFromApi(new ApiError(403, 'container_not_allowed', 'No.'))).toEqual({
      container: { key: 'transfers.form.error.containerNotAllowed' },
    });
    expect(errorsFromApi(validation({ colour: ['property colour should not exist'] }))).toBeNull();
    expect(errorsFromApi(new ApiError(503, 'storage_unavailable', 'Down.'))).toBeNull();
    expect(errorsFromApi(new Error('boom'))).toBeNull();
  });
});
