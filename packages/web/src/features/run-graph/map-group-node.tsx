/** The box around a map's instances in the graph, labelled with the map and its instances' progress. */
import { memo } from 'react';
import type { Node, NodeProps } from '@xyflow/react';
import type { MapSummary } from './map-groups.js';

type MapGroupData = { readonly summary: MapSummary };
export type MapGroupNodeType = Node<MapGroupData, 'mapGroup'>;

function MapGroupView({ data }: NodeProps<MapGroupNodeType>) {
  const { summary } = data;
  const done = summary.byStatus.completed ?? 0;
  return (
    <div className="map-group" data-map={summary.map}>
      <span className="map-group-label">
        {summary.map}: {done} of {summary.instances} done
      </span>
    </div>
  );
}

export const MapGroupNode = memo(MapGroupView);
