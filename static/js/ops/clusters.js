// Grouping ops' reducers: the twins of boards/ops/clusters.py's @reducer functions.

function setCluster(state, noteIds, clusterId) {
  for (const note of state.notes) if (noteIds.includes(note.id)) note.cluster = clusterId;
}

export const REDUCERS = {
  "cluster.create"(state, data) {
    state.clusters.push({ id: data.id, title: data.title });
    setCluster(state, data.note_ids, data.id);
  },
  "cluster.rename"(state, data) {
    state.clusters.find((c) => c.id === data.id).title = data.title;
  },
  "cluster.add_note"(state, data) {
    setCluster(state, [data.note_id], data.id);
  },
  "cluster.remove_note"(state, data) {
    setCluster(state, [data.note_id], null);
  },
  "cluster.delete"(state, data) {
    state.clusters = state.clusters.filter((c) => c.id !== data.id);
    for (const note of state.notes) if (note.cluster === data.id) note.cluster = null;
  },
};
