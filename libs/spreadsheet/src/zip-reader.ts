import { open, type FileHandle } from 'node:fs/promises';
import { pipeline, Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { inflateExcess, type InflateBound } from './limits';

/** The file is not a readable zip archive (or uses a feature not supported here). */
export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

/** An entry inflated past its bound ({@link InflateBound}): too large, or compressed too well. */
export class ZipBoundError extends ZipFormatError {
  constructor(
    readonly entryName: string,
    readonly excess: 'size' | 'ratio',
  ) {
    super(`entry ${excess === 'size' ? 'too large' : 'compressed too well'}: ${entryName}`);
  }
}

/** Where the archive's bytes are: a file on disk, or a buffer (an upload kept in memory). */
interface ZipSource {
  readonly size: number;
  read(buffer: Buffer, length: number, position: number): Promise<number>;
  stream(start: number, end: number): Readable;
  close(): Promise<void>;
}

class FileSource implements ZipSource {
  constructor(
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  async read(buffer: Buffer, length: number, position: number): Promise<number> {
    return (await this.fh.read(buffer, 0, length, position)).bytesRead;
  }

  stream(start: number, end: number): Readable {
    return this.fh.createReadStream({ start, end, autoClose: false, highWaterMark: 64 * 1024 });
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

class BufferSource implements ZipSource {
  constructor(private readonly bytes: Buffer) {}

  get size(): number {
    return this.bytes.length;
  }

  read(buffer: Buffer, length: number, position: number): Promise<number> {
    return Promise.resolve(this.bytes.copy(buffer, 0, position, Math.min(position + length, this.bytes.length)));
  }

  stream(start: number, end: number): Readable {
    const slice = this.bytes.subarray(start, end + 1);
    const chunks: Buffer[] = [];
    for (let p = 0; p < slice.length; p += 64 * 1024) chunks.push(slice.subarray(p, p + 64 * 1024));
    return Readable.from(chunks, { objectMode: false });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface ZipEntry {
  /** Path inside the archive, without a leading slash. */
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_CENTRAL_DIRECTORY_BYTES = 16 * 1024 * 1024;

/**
 * Random access to the entries of a zip file on disk through its central directory: any entry can
 * be streamed in any order, nothing is spooled and only one file descriptor is used. Entries are
 * inflated as streams and decoded as UTF-8 text by a streaming decoder (a character split between
 * two chunks stays whole).
 *
 * Why not exceljs's own unzipping (unzipper's forward-only `Parse`): it delivers parts in stored
 * order, so worksheets stored before xl/sharedStrings.xml (Excel's order, and exceljs's) go to a
 * temporary file; its end-of-archive handling can drop the last entries (exceljs issue #3064,
 * "Cannot read properties of undefined (reading 'sheets')", reproduced here about 1 read in 50);
 * and exceljs decodes each chunk separately, which garbles Chinese text at chunk boundaries
 * (exceljs issues #2063/#2084).
 */
export class ZipReader {
  private readonly open = new Set<Readable>();
  private closed = false;

  private constructor(
    private readonly source: ZipSource,
    private readonly entries: Map<string, ZipEntry>,
  ) {}

  get size(): number {
    return this.source.size;
  }

  static async open(path: string): Promise<ZipReader> {
    const fh = await open(path, 'r');
    try {
      const source = new FileSource(fh, (await fh.stat()).size);
      return new ZipReader(source, await readCentralDirectory(source));
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** The same over an archive held in memory (a small upload). */
  static async fromBuffer(bytes: Buffer): Promise<ZipReader> {
    const source = new BufferSource(bytes);
    return new ZipReader(source, await readCentralDirectory(source));
  }

  /** Entry by part name, case-insensitively (OPC part names are), with or without leading slash. */
  entry(name: string): ZipEntry | undefined {
    return this.entries.get(key(name));
  }

  names(): string[] {
    return [...this.entries.values()].map((e) => e.name);
  }

  /**
   * The entry's content as a stream of UTF-8 strings. `bound` limits how far it inflates (zip bombs):
   * an entry whose declared size already crosses it is refused at once, and the stream errors with
   * {@link ZipBoundError} as soon as the bytes actually inflated cross it (declared sizes can lie).
   */
  async openText(entry: ZipEntry, bound: InflateBound = {}): Promise<Readable> {
    if (this.closed) throw new Error('zip reader closed');
    if (entry.flags & 0x1) throw new ZipFormatError('encrypted entry');
    if (entry.method !== 0 && entry.method !== 8) throw new ZipFormatError(`compression method ${entry.method}`);
    const declared = inflateExcess(entry.uncompressedSize, entry.compressedSize, bound);
    if (declared) throw new ZipBoundError(entry.name, declared);
    const header = Buffer.alloc(30);
    const bytesRead = await this.source.read(header, 30, entry.localHeaderOffset);
    if (bytesRead < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE)
      throw new ZipFormatError(`bad local header: ${entry.name}`);
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > this.size) throw new ZipFormatError(`truncated entry: ${entry.name}`);

    const raw: Readable =
      entry.compressedSize === 0 ? Readable.from([]) : this.source.stream(start, start + entry.compressedSize - 1);
    let inflated = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        inflated += chunk.length;
        const excess = inflateExcess(inflated, entry.compressedSize, bound);
        if (excess) done(new ZipBoundError(entry.name, excess));
        else done(null, chunk);
      },
    });
    const noop = () => undefined;
    if (entry.method === 8) pipeline(raw, createInflateRaw(), limit, noop);
    else pipeline(raw, limit, noop);
    limit.setEncoding('utf8');
    this.open.add(limit);
    limit.once('close', () => this.open.delete(limit));
    return limit;
  }

  /** Stops every entry stream still open and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.open) s.destroy();
    this.open.clear();
    await this.source.close();
  }
}

const key = (name: string) => name.replace(/^\/+/, '').replace(/\\/g, '/').toLowerCase();

async function readAt(source: ZipSource, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const bytesRead = await source.read(buffer, length, position);
  if (bytesRead < length) throw new ZipFormatError('unexpected end of file');
  return buffer;
}

async function readCentralDirectory(source: ZipSource): Promise<Map<string, ZipEntry>> {
  const size = source.size;
  if (size < 22) throw new ZipFormatError('too short for a zip');
  const tailLength = Math.min(size, 22 + 0xffff);
  const tailStart = size - tailLength;
  const tail = await readAt(source, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('end of central directory not found (truncated file?)');

  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locatorAt = tailStart + eocd - 20;
    if (locatorAt < 0) throw new ZipFormatError('zip64 locator missing');
    const locator = await readAt(source, locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw new ZipFormatError('zip64 locator missing');
    const record = await readAt(source, Number(locator.readBigUInt64LE(8)), 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE)
      throw new ZipFormatError('zip64 end of central directory missing');
    count = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES || cdOffset + cdSize > size)
    throw new ZipFormatError('bad central directory');

  const cd = await readAt(source, cdOffset, cdSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL_SIGNATURE)
      throw new ZipFormatError('bad central directory entry');
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      name: cd.toString('utf8', p + 46, p + 46 + nameLength).replace(/^\/+/, ''),
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      compressedSize: cd.readUInt32LE(p + 20),
      uncompressedSize: cd.readUInt32LE(p + 24),
      localHeaderOffset: cd.readUInt32LE(p + 42),
    };
    applyZip64Extra(entry, cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    if (!entries.has(key(entry.name))) entries.set(key(entry.name), entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Zip64 extended information (0x0001): 64-bit values for the fields saturated at 0xFFFFFFFF, in this order. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  for (let p = 0; p + 4 <= extra.length;) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        if (q + 8 > p + 4 + length) throw new ZipFormatError('bad zip64 extra field');
        const v = Number(extra.readBigUInt64LE(q));
        q += 8;
        return v;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    p += 4 + length;
  }
}
