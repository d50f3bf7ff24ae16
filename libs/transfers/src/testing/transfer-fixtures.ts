// Test support (not exported from the lib, left out of the build): rows made directly in the database.
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TransferItem } from '../transfer-item.entity';
import { Transfer } from '../transfer.entity';

export async function insertPlatformAndUser(dataSource: DataSource, sub = '2'): Promise<{ platformId: string; userId: string }> {
  const issuer = `https://moodle-${randomUUID()}.test`;
  const [platform] = await dataSource.query(
    `INSERT INTO platforms (name, issuer, client_id, auth_login_url, access_token_url, jwks_url)
     VALUES ('Test Moodle', $1, 'client', $1 || '/auth', $1 || '/token', $1 || '/certs') RETURNING id`,
    [issuer],
  );
  const [user] = await dataSource.query(`INSERT INTO users (platform_id, sub, last_roles) VALUES ($1, $2, '{admin}') RETURNING id`, [
    platform.id,
    sub,
  ]);
  return { platformId: platform.id, userId: user.id };
}

export async function insertTransfer(
  dataSource: DataSource,
  owner: { platformId: string; userId: string },
  files: Array<Partial<TransferItem>> = [{}],
  overrides: Partial<Transfer> = {},
): Promise<{ transfer: Transfer; items: TransferItem[] }> {
  const transfer = await dataSource.getRepository(Transfer).save({
    platformId: owner.platformId,
    requestedBy: owner.userId,
    courseId: 2,
    courseShortname: 'TRANSFER101',
    courseFullname: 'Transfer 101',
    container: 'ferry-test',
    prefix: '',
    conflictPolicy: 'skip_identical',
    totalFiles: files.length,
    totalBytes: files.reduce((sum, file) => sum + (file.size ?? 1024), 0),
    status: 'queued',
    ...overrides,
  });
  const items = await dataSource.getRepository(TransferItem).save(
    files.map((file, position) => ({
      transferId: transfer.id,
      position,
      fileId: `file-${position}`,
      section: 'General',
      moduleId: 10 + position,
      moduleName: 'Module',
      moduleModname: 'resource',
      filepath: '/',
      filename: `file-${position}.bin`,
      size: 1024,
      mimetype: 'application/octet-stream',
      timemodified: 1_700_000_000,
      fileurl: `https://moodle.test/webservice/pluginfile.php/1/mod_resource/content/0/file-${position}.bin`,
      blobName: `TRANSFER101/General/Module/file-${position}.bin`,
      status: 'queued' as const,
      ...file,
    })),
  );
  return { transfer, items };
}
