/**
 * The largest import file list-ingestion accepts (larger: 413). The proxy in front must let it through:
 * deploy/nginx/jrp.conf.template's `client_max_body_size` is at least this (checked by a test).
 */
export const IMPORT_UPLOAD_LIMIT_BYTES = 256 * 1024 * 1024;
