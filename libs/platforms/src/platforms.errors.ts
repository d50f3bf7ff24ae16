import { FerryError } from '@ferry/errors';

/** A platform or deployment rule refused the request (duplicate registration, refused deployment, …). */
export class PlatformsError extends FerryError {}
