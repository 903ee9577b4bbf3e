// Thrift Compact Protocol encoder — just what a Parquet footer and page header need
// (parquet-format: "Metadata is written using the Thrift TCompactProtocol"; Thrift compact spec:
// field header = delta << 4 | type, zigzag varints, list header = size << 4 | element type).

export type ThriftValue =
  | { kind: 'i8'; value: number }
  | { kind: 'i16'; value: number }
  | { kind: 'i32'; value: number }
  | { kind: 'i64'; value: number | bigint }
  | { kind: 'binary'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'struct'; fields: ThriftFields }
  | { kind: 'list'; elementKind: 'i32' | 'binary' | 'struct'; values: ThriftValue[] };

/** Field id → value; undefined fields are omitted (Thrift optional). */
export type ThriftFields = Record<number, ThriftValue | undefined>;

const TYPE = { boolTrue: 1, boolFalse: 2, i8: 3, i16: 4, i32: 5, i64: 6, binary: 8, list: 9, struct: 12 } as const;

export class ThriftCompactWriter {
  private bytes = new Uint8Array(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  private byte(value: number): void {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }

  private varint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.byte(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.byte(Number(rest));
  }

  private zigzag(value: number | bigint): void {
    const big = BigInt(value);
    this.varint(big >= 0n ? big << 1n : (-big << 1n) - 1n);
  }

  private typeOf(value: ThriftValue): number {
    if (value.kind === 'bool') return value.value ? TYPE.boolTrue : TYPE.boolFalse;
    return TYPE[value.kind];
  }

  private payload(value: ThriftValue): void {
    switch (value.kind) {
      case 'i8':
        this.byte(value.value & 0xff);
        return;
      case 'i16':
      case 'i32':
      case 'i64':
        this.zigzag(value.value);
        return;
      case 'binary': {
        const encoded = Buffer.from(value.value, 'utf8');
        this.varint(BigInt(encoded.length));
        this.ensure(encoded.length);
        this.bytes.set(encoded, this.length);
        this.length += encoded.length;
        return;
      }
      case 'bool': // inside a list a bool is one byte; as a field it lives in the header
        this.byte(value.value ? 1 : 2);
        return;
      case 'struct':
        this.struct(value.fields);
        return;
      case 'list': {
        const elementType = TYPE[value.elementKind];
        if (value.values.length < 15) this.byte((value.values.length << 4) | elementType);
        else {
          this.byte(0xf0 | elementType);
          this.varint(BigInt(value.values.length));
        }
        for (const element of value.values) this.payload(element);
      }
    }
  }

  struct(fields: ThriftFields): this {
    let previousId = 0;
    const ids = Object.keys(fields).map(Number).sort((a, b) => a - b);
    for (const id of ids) {
      const value = fields[id];
      if (value === undefined) continue;
      const delta = id - previousId;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | this.typeOf(value));
      else {
        this.byte(this.typeOf(value));
        this.zigzag(id);
      }
      if (value.kind !== 'bool') this.payload(value);
      previousId = id;
    }
    this.byte(0); // STOP
    return this;
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

export const i8 = (value: number): ThriftValue => ({ kind: 'i8', value });
export const i16 = (value: number): ThriftValue => ({ kind: 'i16', value });
export const i32 = (value: number): ThriftValue => ({ kind: 'i32', value });
export const i64 = (value: number | bigint): ThriftValue => ({ kind: 'i64', value });
export const binary = (value: string): ThriftValue => ({ kind: 'binary', value });
export const struct = (fields: ThriftFields): ThriftValue => ({ kind: 'struct', fields });
export const list = (elementKind: 'i32' | 'binary' | 'struct', values: ThriftValue[]): ThriftValue => ({ kind: 'list', elementKind, values });
