// Column spec → Parquet schema elements (parquet-format LogicalTypes.md). Lists use the standard
// 3-level structure with the LIST annotation, so DuckDB, Arrow and Spark read them as lists:
//   <optional|required> group <name> (LIST) { repeated group list { required <type> element; } }
// (a bare `repeated` field, as parquetjs-lite writes, is read as a list by some readers only and cannot
// tell null from []). Elements are required: our lists never hold nulls.
import type { ColumnSpec, ColumnType } from './column-spec';
import { binary, i8, i32, list, struct, type ThriftValue } from './thrift-compact';

/** parquet.thrift enums */
export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
export type PhysicalType = (typeof PhysicalType)[keyof typeof PhysicalType];
const Repetition = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
const ConvertedType = { UTF8: 0, LIST: 3, INT_32: 17, INT_64: 18 } as const;

export type ElementKind = 'string' | 'int32' | 'int64' | 'double' | 'bool';

/** What the page encoder needs to know about one leaf column. */
export interface LeafColumn {
  spec: ColumnSpec;
  path: string[];
  elementKind: ElementKind;
  physicalType: PhysicalType;
  isList: boolean;
  /** parquet-format "Nested Encoding": the highest definition / repetition level of the leaf. */
  maxDefinitionLevel: number;
  maxRepetitionLevel: number;
}

export function elementKindOf(type: ColumnType): ElementKind {
  if (type === 'list<string>') return 'string';
  if (type === 'list<double>') return 'double';
  if (type === 'list<int>') return 'int32';
  return type;
}

const PHYSICAL: Record<ElementKind, PhysicalType> = {
  string: PhysicalType.BYTE_ARRAY,
  int32: PhysicalType.INT32,
  int64: PhysicalType.INT64,
  double: PhysicalType.DOUBLE,
  bool: PhysicalType.BOOLEAN,
};

export function leafColumns(columns: readonly ColumnSpec[]): LeafColumn[] {
  return columns.map((spec) => {
    const isList = spec.type.startsWith('list<');
    const elementKind = elementKindOf(spec.type);
    const nullableLevel = spec.nullable ? 1 : 0;
    return {
      spec,
      path: isList ? [spec.name, 'list', 'element'] : [spec.name],
      elementKind,
      physicalType: PHYSICAL[elementKind],
      isList,
      maxDefinitionLevel: nullableLevel + (isList ? 1 : 0),
      maxRepetitionLevel: isList ? 1 : 0,
    };
  });
}

function primitiveElement(name: string, kind: ElementKind, repetition: number): ThriftValue {
  // SchemaElement: 1 type, 3 repetition_type, 4 name, 6 converted_type, 10 logicalType
  const annotation =
    kind === 'string'
      ? { 6: i32(ConvertedType.UTF8), 10: struct({ 1: struct({}) }) } // LogicalType.STRING
      : kind === 'int32'
        ? { 6: i32(ConvertedType.INT_32), 10: struct({ 10: struct({ 1: i8(32), 2: { kind: 'bool', value: true } }) }) }
        : kind === 'int64'
          ? { 6: i32(ConvertedType.INT_64), 10: struct({ 10: struct({ 1: i8(64), 2: { kind: 'bool', value: true } }) }) }
          : {};
  return struct({ 1: i32(PHYSICAL[kind]), 3: i32(repetition), 4: binary(name), ...annotation });
}

/** The flattened schema list of FileMetaData (field 2), root first. */
export function schemaElements(columns: readonly ColumnSpec[]): ThriftValue {
  const elements: ThriftValue[] = [struct({ 4: binary('schema'), 5: i32(columns.length) })];
  for (const spec of columns) {
    const repetition = spec.nullable ? Repetition.OPTIONAL : Repetition.REQUIRED;
    const kind = elementKindOf(spec.type);
    if (spec.type.startsWith('list<')) {
      elements.push(struct({ 3: i32(repetition), 4: binary(spec.name), 5: i32(1), 6: i32(ConvertedType.LIST), 10: struct({ 3: struct({}) }) }));
      elements.push(struct({ 3: i32(Repetition.REPEATED), 4: binary('list'), 5: i32(1) }));
      elements.push(primitiveElement('element', kind, Repetition.REQUIRED));
    } else {
      elements.push(primitiveElement(spec.name, kind, repetition));
    }
  }
  return list('struct', elements);
}
