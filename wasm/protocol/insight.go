package protocol

// Insight: what the trunk learned, before a single label (issue 12). The
// trainer computes features of the pool with two trunks — the random
// initialisation that pretraining started from ("before"; the default seed's
// when nothing was pretrained) and the trunk that pretraining produced
// ("after", the current one while it runs) — and answers these from a cache
// it fills between steps.

// ShowNeighbours asks for the nearest images of pool image Pool
// (Thumb.Pool) in each trunk's feature space, answered by Neighbours.
type ShowNeighbours struct {
	Pool int `json:"pool"`
}

// Neighbour is one image found near the query: its pool index, class (-1
// unlabeled), cosine similarity to the query in [−1, 1] and thumbnail.
type Neighbour struct {
	Pool       int     `json:"pool"`
	Class      int     `json:"class"`
	Similarity float64 `json:"similarity"`
	PNG        []byte  `json:"-"`
}

// NeighbourCount is how many neighbours Neighbours lists per trunk.
const NeighbourCount = 8

// Neighbours answers ShowNeighbours: the query and its NeighbourCount
// nearest pool images (itself excluded, best first) for the random-init
// trunk (Before) and the pretrained trunk (After; empty while there is
// none). Task names the pretext task of After.
//
// Agreement is the whole labeled set's answer to "do images that look
// alike to the trunk share a class": insight.ClassAgreement of the labeled
// images among themselves, the share of each one's NeighbourCount nearest
// labeled images that carry its class, in [0, 1] (chance is about one over
// the number of classes); -1 when there are fewer than 2 labeled images,
// or (After) no pretrained trunk.
type Neighbours struct {
	Query           Thumb       `json:"query"`
	Task            string      `json:"task,omitempty"`
	Before          []Neighbour `json:"before"`
	After           []Neighbour `json:"after"`
	AgreementBefore float64     `json:"agreementBefore"`
	AgreementAfter  float64     `json:"agreementAfter"`
}

// ShowFeatureMap asks for the 2-D map of the pool's features, answered by
// FeatureMap.
type ShowFeatureMap struct{}

// MapPoint is one pool image on the feature map: its coordinates on the
// first two principal axes, its class (-1 unlabeled) and pool index.
type MapPoint struct {
	X     float32 `json:"x"`
	Y     float32 `json:"y"`
	Class int     `json:"class"`
	Pool  int     `json:"pool"`
}

// FeatureMap is every pool image's pooled features projected by PCA onto
// their first two principal axes, for each trunk (After empty while there
// is no pretrained trunk), with the share of the variance each axis
// explains.
type FeatureMap struct {
	Classes         []string   `json:"classes"`
	Task            string     `json:"task,omitempty"`
	Before          []MapPoint `json:"before"`
	After           []MapPoint `json:"after"`
	ExplainedBefore [2]float64 `json:"explainedBefore"`
	ExplainedAfter  [2]float64 `json:"explainedAfter"`
}

// Filters is the trunk's first convolution drawn as pictures
// (insight.Filters): one PNG of Count filters, each Size×Size pixels,
// laid out in a grid of Columns, sent during pretraining with Examples.
type Filters struct {
	Step    int    `json:"step"`
	Count   int    `json:"count"`
	Size    int    `json:"size"`
	Columns int    `json:"columns"`
	PNG     []byte `json:"-"`
}

func (m *Neighbours) Buffers() []*[]byte {
	b := []*[]byte{&m.Query.PNG}
	for i := range m.Before {
		b = append(b, &m.Before[i].PNG)
	}
	for i := range m.After {
		b = append(b, &m.After[i].PNG)
	}
	return b
}

func (m *Filters) Buffers() []*[]byte { return []*[]byte{&m.PNG} }

func (ShowNeighbours) Kind() string { return KindShowNeighbours }
func (Neighbours) Kind() string     { return KindNeighbours }
func (ShowFeatureMap) Kind() string { return KindShowFeatureMap }
func (FeatureMap) Kind() string     { return KindFeatureMap }
func (Filters) Kind() string        { return KindFilters }
