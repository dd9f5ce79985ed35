import { blobStoreContract } from './blob-store-contract.js';
import { createInMemoryBlobStore } from './in-memory-blob-store.js';

blobStoreContract('in memory', { open: (clock) => Promise.resolve(createInMemoryBlobStore({ clock })) });
