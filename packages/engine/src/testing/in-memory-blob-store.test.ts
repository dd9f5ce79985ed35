import { blobStoreContract } from './blob-store-contract.js';
import { createInMemoryBlobStore } from './in-memory-blob-store.js';

blobStoreContract('in memory', { open: () => Promise.resolve(createInMemoryBlobStore()) });
