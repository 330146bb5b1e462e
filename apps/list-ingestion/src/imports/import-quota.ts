/** Why an upload is refused by its organisation's quota, as the HTTP status and the uploader's message. */
export interface QuotaRefusal {
  /** 413: the file alone exceeds the quota (it never fits); 429: it fits once the organisation's imports finish. */
  status: 413 | 429;
  message: string;
}

/**
 * Whether an upload of `fileBytes` fits its organisation's quota of upload bytes, `pendingBytes` being
 * those of its imports still queued or running: null when it fits (up to the quota exactly), else why not.
 */
export function quotaRefusal(pendingBytes: number, fileBytes: number, quotaBytes: number): QuotaRefusal | null {
  if (fileBytes > quotaBytes)
    return {
      status: 413,
      message:
        `文件（${mebibytes(fileBytes)}）超过本单位的导入配额（${mebibytes(quotaBytes)}），请拆分后上传 ` +
        `(the file is larger than the organisation's import quota)`,
    };
  if (pendingBytes + fileBytes > quotaBytes)
    return {
      status: 429,
      message:
        `本单位排队中和导入中的文件已占用 ${mebibytes(pendingBytes)}，加上此文件（${mebibytes(fileBytes)}）` +
        `超过导入配额（${mebibytes(quotaBytes)}），请待已有导入完成后再上传 ` +
        `(the organisation's queued and running imports would exceed its quota; upload again once they finish)`,
    };
  return null;
}

/** Bytes as MB (MiB) with one decimal: 1572864 → "1.5 MB". */
export function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
