package nn

import "fmt"

// MSE returns the mean squared error over all n elements,
//
//	L = (1/n) Σ_i (pred_i − target_i)²,
//
// and, when dpred is not nil, overwrites it with ∂L/∂pred = (2/n)(pred − target).
// pred, target and dpred (when given) must have the same shape; MSE panics
// otherwise. An empty tensor has L = 0.
func MSE(pred, target, dpred *Tensor) float64 {
	if !sameShape(pred.Shape, target.Shape) || len(pred.Data) != len(target.Data) {
		panic(fmt.Sprintf("nn: MSE: pred shape %v, target shape %v", pred.Shape, target.Shape))
	}
	if dpred != nil && (!sameShape(dpred.Shape, pred.Shape) || len(dpred.Data) != len(pred.Data)) {
		panic(fmt.Sprintf("nn: MSE: dpred shape %v, pred shape %v", dpred.Shape, pred.Shape))
	}
	n := len(pred.Data)
	if n == 0 {
		return 0
	}
	t := target.Data[:n]
	sum := 0.0
	for i, p := range pred.Data {
		d := float64(p) - float64(t[i])
		sum += d * d
	}
	if dpred != nil {
		g := dpred.Data[:n]
		scale := 2 / float64(n)
		for i, p := range pred.Data {
			g[i] = float32(scale * (float64(p) - float64(t[i])))
		}
	}
	return sum / float64(n)
}
