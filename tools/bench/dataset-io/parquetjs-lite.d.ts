// parquetjs-lite ships no types; the benchmark uses this much of it.
declare module 'parquetjs-lite' {
  export class ParquetSchema {
    constructor(fields: Record<string, object>);
  }
  export class ParquetWriter {
    static openFile(schema: ParquetSchema, path: string): Promise<ParquetWriter>;
    setRowGroupSize(rows: number): void;
    appendRow(row: Record<string, unknown>): Promise<void>;
    close(): Promise<void>;
  }
  const parquetjs: { ParquetSchema: typeof ParquetSchema; ParquetWriter: typeof ParquetWriter };
  export default parquetjs;
}
