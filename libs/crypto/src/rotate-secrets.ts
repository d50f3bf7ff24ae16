import type { DataSource } from 'typeorm';
import type { SecretBox } from './secret-box';

export interface EncryptedColumn {
  table: string;
  column: string;
}

/**
 * Re-seals every encrypted value still under an older key with the newest one, row by row in one
 * transaction per table. Returns how many values changed.
 */
export async function rotateSecrets(
  dataSource: DataSource,
  secretBox: SecretBox,
  columns: EncryptedColumn[],
): Promise<number> {
  let changed = 0;
  for (const { table, column } of columns) {
    await dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; value: string }> = await manager.query(
        `SELECT id, "${column}" AS value FROM "${table}" WHERE "${column}" IS NOT NULL FOR UPDATE`,
      );
      for (const row of rows) {
        if (!secretBox.isSealedWithOlderKey(row.value)) continue;
        await manager.query(`UPDATE "${table}" SET "${column}" = $1 WHERE id = $2`, [secretBox.reseal(row.value), row.id]);
        changed += 1;
      }
    });
  }
  return changed;
}
