import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, withQuery } from '../../api';
import type { Area, Items } from '../../shared/types';

/** A node usable by both antd Tree (key) and TreeSelect (value). */
export interface AreaNode {
  key: string;
  value: string;
  title: ReactNode;
  isLeaf: boolean;
  area: Area;
  children?: AreaNode[];
}

function setChildren(nodes: AreaNode[], code: string, children: AreaNode[]): AreaNode[] {
  return nodes.map((node) => {
    if (node.key === code) return { ...node, children };
    if (node.children) return { ...node, children: setChildren(node.children, code, children) };
    return node;
  });
}

/**
 * The division tree below `rootCode`, loaded level by level from GET /api/v1/areas?parent=.
 * `renderTitle` decides how a node looks (the tree shows tags, a select only the name).
 */
export function useAreaTree(rootCode: string, renderTitle: (area: Area) => ReactNode) {
  const [treeData, setTreeData] = useState<AreaNode[]>([]);
  const [loading, setLoading] = useState(true);

  const toNode = useCallback(
    (area: Area): AreaNode => ({
      key: area.code,
      value: area.code,
      title: renderTitle(area),
      isLeaf: area.childCount === 0,
      area,
    }),
    [renderTitle],
  );

  const fetchChildren = useCallback(
    async (parent: string) => {
      const res = await api.get<Items<Area>>(withQuery('/api/v1/areas', { parent }));
      return res.items.map(toNode);
    },
    [toNode],
  );

  useEffect(() => {
    let alive = true;
    setLoading(true);
    fetchChildren(rootCode).then(
      (nodes) => {
        if (alive) setTreeData(nodes);
      },
      () => undefined, // shown by the API layer
    ).finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [rootCode, fetchChildren]);

  const loadChildren = useCallback(
    async (code: string) => {
      try {
        const children = await fetchChildren(code);
        setTreeData((nodes) => setChildren(nodes, code, children));
      } catch {
        // shown by the API layer; the node stays expandable so the user can retry
      }
    },
    [fetchChildren],
  );

  return { treeData, loading, loadChildren };
}
