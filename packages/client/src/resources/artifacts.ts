import type { Http, RequestOptions } from '../http.js';
import type { ArtifactContent, ArtifactDiff, ArtifactVersionList, RunDownload } from '../types/artifacts.js';

/** A run's artifacts: the versions of each phase's output, their contents and diffs, the run as a zip. */
export interface ArtifactsApi {
  /** `GET /api/runs/:id/phases/:phase/artifacts`: every version, oldest first, with what made it. */
  list(id: string, phase: string, options?: RequestOptions): Promise<ArtifactVersionList>;
  /** `GET …/artifacts/:version`: the content as stored (a file tree: its manifest). */
  content(id: string, phase: string, version: number, options?: RequestOptions): Promise<ArtifactContent>;
  /** `GET …/artifacts/:version/files/*path`: one file of a file tree. */
  file(
    id: string,
    phase: string,
    version: number,
    path: string,
    options?: RequestOptions,
  ): Promise<ArtifactContent>;
  /** `GET …/artifacts/diff?from=&to=`. */
  diff(
    id: string,
    phase: string,
    query: { readonly from: number; readonly to: number },
    options?: RequestOptions,
  ): Promise<ArtifactDiff>;
  /** `GET /api/runs/:id/download`: the run as a zip, streamed. */
  download(id: string, options?: RequestOptions): Promise<RunDownload>;
}

export function artifactsApi(http: Http): ArtifactsApi {
  const artifacts = (id: string, phase: string, ...rest: string[]) => [
    'api',
    'runs',
    id,
    'phases',
    phase,
    'artifacts',
    ...rest,
  ];
  const text = async (response: Response): Promise<ArtifactContent> => ({
    contentType: response.headers.get('content-type') ?? 'text/plain',
    text: await response.text(),
  });
  return {
    list: (id, phase, options) => http({ method: 'GET', path: artifacts(id, phase), options }),
    content: async (id, phase, version, options) =>
      text(await http.raw({ method: 'GET', path: artifacts(id, phase, String(version)), options })),
    // The path travels as one segment (its `/` as `%2F`): `..` in it is never resolved on the way.
    file: async (id, phase, version, path, options) =>
      text(
        await http.raw({
          method: 'GET',
          path: artifacts(id, phase, String(version), 'files', path),
          options,
        }),
      ),
    diff: (id, phase, query, options) =>
      http({
        method: 'GET',
        path: artifacts(id, phase, 'diff'),
        query: { from: query.from, to: query.to },
        options,
      }),
    download: async (id, options) => {
      const response = await http.raw({ method: 'GET', path: ['api', 'runs', id, 'download'], options });
      const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
      if (response.body === null) throw new Error(`the download of run ${id} came without a body`);
      return { ...(filename === undefined ? {} : { filename }), body: response.body };
    },
  };
}
