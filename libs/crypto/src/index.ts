export { CryptoModule } from './crypto.module';
export { rotateSecrets } from './rotate-secrets';
export type { EncryptedColumn } from './rotate-secrets';
export { SecretBox, SecretDecryptionError } from './secret-box';
