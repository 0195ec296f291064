/**
 * A minimal real ONNX model (one Identity node, float[1] in and out), encoded by hand as the
 * protobuf ModelProto that onnxruntime reads. Stands in for Silero/Kokoro, which are not reachable here.
 */
export function identityOnnxModel(): Buffer {
  const tensorType = message([field(1, varint(1)), field(2, message([field(1, message([field(1, varint(1))]))]))]); // FLOAT, shape [1]
  const valueInfo = (name: string) => message([field(1, text(name)), field(2, message([field(1, tensorType)]))]);
  const node = message([field(1, text('x')), field(2, text('y')), field(3, text('identity')), field(4, text('Identity'))]);
  const graph = message([field(1, node), field(2, text('parley-test')), field(11, valueInfo('x')), field(12, valueInfo('y'))]);
  const opset = message([field(1, text('')), field(2, varint(13))]);
  return message([field(1, varint(8)), field(2, text('parley-tests')), field(7, graph), field(8, opset)]).bytes;
}

type Field = Buffer;
type Value = { wire: 0 | 2; bytes: Buffer };

function field(number: number, value: Value): Field {
  return Buffer.concat([encodeVarint((number << 3) | value.wire), value.wire === 2 ? encodeVarint(value.bytes.length) : Buffer.alloc(0), value.bytes]);
}

function message(fields: Field[]): Value {
  return { wire: 2, bytes: Buffer.concat(fields) };
}

function text(value: string): Value {
  return { wire: 2, bytes: Buffer.from(value, 'utf8') };
}

function varint(value: number): Value {
  return { wire: 0, bytes: encodeVarint(value) };
}

function encodeVarint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return Buffer.from(out);
}
