// The column list a caller hands to the writer. The corpus schema itself lives in libs/catalog
// (data-specs/instruction-pair.schema.json); this library only needs names, types and nullability.

export type ColumnType =
  | 'string'
  | 'int32'
  | 'int64'
  | 'double'
  | 'bool'
  | 'list<string>'
  | 'list<double>'
  | 'list<int>';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** A nullable column may hold `null`; a nullable list may be `null` as well as `[]`. List elements are never null. */
  nullable: boolean;
}

/** One row as the writer takes it and the reader gives it back (int64 is read back as bigint). */
export type CellValue = string | number | bigint | boolean | null | readonly string[] | readonly number[];
export type DatasetRow = Record<string, CellValue | undefined>;
/**
 * What the writers accept: any object whose fields are the columns (an `interface` such as the catalog's
 * InstructionPair has no index signature, so it would not be assignable to DatasetRow). Values are checked
 * against the column spec as they are encoded.
 */
export type RowInput = object;

export function isListType(type: ColumnType): type is 'list<string>' | 'list<double>' | 'list<int>' {
  return type.startsWith('list<');
}
