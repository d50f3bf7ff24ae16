import type { DataSource } from 'typeorm';
import type { SecretBox } from './secret-box';

export interface EncryptedColumn {
  table: string;
  column: string;
  /** The table's primary key column; `id` unless said. */
  key?: string;
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
  for (const { table, column, key = 'id' } of columns) {
    await dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string; value: string }> = await manager.query(
        `SELECT "${key}" AS id, "${column}" AS value FROM "${table}" WHERE "${column}" IS NOT NULL FOR UPDATE`,
      );
      for (const row of rows) {
        if (!secretBox.isSealedWithOlderKey(row.value)) continue;
        await manager.query(`UPDATE "${table}" SET "${column}" = $1 WHERE "${key}" = $2`, [secretBox.reseal(row.value), row.id]);
        changed += 1;
      }
    });
  }
  return changed;
}
