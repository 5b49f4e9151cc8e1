package pretext

import "math"

// CIE L*a*b* (D65 white, sRGB primaries).
//
// RGB → Lab: each 8-bit sRGB value v is linearised,
//
//	c = v/255,  lin(c) = c/12.92 if c ≤ 0.04045 else ((c+0.055)/1.055)^2.4,
//
// mixed to XYZ by the sRGB matrix, and
//
//	L = 116 f(Y) − 16,  a = 500 (f(X/Xn) − f(Y)),  b = 200 (f(Y) − f(Z/Zn)),
//	f(t) = t^(1/3) if t > (6/29)³ else t/(3·(6/29)²) + 4/29.
//
// L is in [0, 100]; a and b lie roughly in [−90, 100] and [−110, 95] for
// sRGB colours. The forward path uses fixed-point integer arithmetic and
// tables (256 entries for lin, 4097 with linear interpolation for f),
// accurate to about 0.01 in L, a and b and fast enough to run per pixel per
// sample.

const (
	labXn, labZn = 0.95047, 1.08883
	labDelta     = 6.0 / 29.0
	fTableSize   = 4096
	// Linear light and XYZ are fixed point in the fast path: linQ holds
	// lin(v)·2^24 and the matrix entries are scaled by 2^24, so X, Y, Z are
	// integers scaled by 2^48 (the table index is the top 12 bits below 2^48,
	// the interpolation fraction the next 16). Integer arithmetic is exact,
	// hence identical on every platform, and avoids float-to-int
	// conversions, which are slow in WebAssembly.
	qOne     = 1 << 24
	qIdx     = 48 - 12
	qFracLow = qIdx - 16
)

var (
	linQ     [256]uint64             // lin(v)·2^24, rounded
	xyzQ     [3][3]uint64            // sRGB → (X/Xn, Y, Z/Zn) matrix ·2^24, rounded
	fTable   [fTableSize + 2]float32 // f(t) at t = i/fTableSize (one spare entry past 1)
	encTable [fTableSize + 2]float32 // sRGB encode (0..255) of linear i/fTableSize
)

var xyzMatrix = [3][3]float64{
	{0.4124564 / labXn, 0.3575761 / labXn, 0.1804375 / labXn},
	{0.2126729, 0.7151522, 0.0721750},
	{0.0193339 / labZn, 0.1191920 / labZn, 0.9503041 / labZn},
}

func init() {
	for v := range linQ {
		linQ[v] = uint64(math.Round(srgbToLinear(float64(v)/255) * qOne))
	}
	for i := range xyzQ {
		for j := range xyzQ[i] {
			xyzQ[i][j] = uint64(math.Round(xyzMatrix[i][j] * qOne))
		}
	}
	for i := range fTable {
		t := float64(i) / fTableSize
		fTable[i] = float32(labF(t))
		encTable[i] = float32(255 * min(linearToSRGB(t), 1))
	}
}

func srgbToLinear(c float64) float64 {
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

func linearToSRGB(l float64) float64 {
	if l <= 0.0031308 {
		return 12.92 * l
	}
	return 1.055*math.Pow(l, 1/2.4) - 0.055
}

func labF(t float64) float64 {
	if t > labDelta*labDelta*labDelta {
		return math.Cbrt(t)
	}
	return t/(3*labDelta*labDelta) + 4.0/29
}

func labFInv(t float64) float64 {
	if t > labDelta {
		return t * t * t
	}
	return 3 * labDelta * labDelta * (t - 4.0/29)
}

// lookupQ linearly interpolates a table sampled at t = i/fTableSize at the
// fixed-point value v = t·2^48 (t ≤ 1 + 1/fTableSize).
func lookupQ(tab *[fTableSize + 2]float32, v uint64) float32 {
	i := min(v>>qIdx, fTableSize)
	fr := float32((v>>qFracLow)&0xffff) * (1.0 / 65536)
	return tab[i] + float32(fr*(tab[i+1]-tab[i]))
}

// rgbToXYZQ returns X/Xn, Y, Z/Zn of an 8-bit sRGB pixel, scaled by 2^48.
func rgbToXYZQ(r, g, b uint8) (x, y, z uint64) {
	lr, lg, lb := linQ[r], linQ[g], linQ[b]
	x = xyzQ[0][0]*lr + xyzQ[0][1]*lg + xyzQ[0][2]*lb
	y = xyzQ[1][0]*lr + xyzQ[1][1]*lg + xyzQ[1][2]*lb
	z = xyzQ[2][0]*lr + xyzQ[2][1]*lg + xyzQ[2][2]*lb
	return
}

// RGBToLab converts one 8-bit sRGB pixel to L*a*b*.
func RGBToLab(r, g, b uint8) (L, A, B float32) {
	x, y, z := rgbToXYZQ(r, g, b)
	fx, fy, fz := lookupQ(&fTable, x), lookupQ(&fTable, y), lookupQ(&fTable, z)
	return float32(116*fy) - 16, 500 * (fx - fy), 200 * (fy - fz)
}

// LabToRGB converts L*a*b* to 8-bit sRGB, clipping out-of-gamut colours
// channel by channel. It is exact (no tables) and meant for display.
func LabToRGB(L, A, B float32) (r, g, b uint8) {
	fy := (float64(L) + 16) / 116
	fx := fy + float64(A)/500
	fz := fy - float64(B)/200
	x, y, z := labXn*labFInv(fx), labFInv(fy), labZn*labFInv(fz)
	lr := 3.2404542*x - 1.5371385*y - 0.4985314*z
	lg := -0.9692660*x + 1.8760108*y + 0.0415560*z
	lb := 0.0556434*x - 0.2040259*y + 1.0572252*z
	enc := func(l float64) uint8 {
		return clampU8(float32(255 * linearToSRGB(math.Min(math.Max(l, 0), 1))))
	}
	return enc(lr), enc(lg), enc(lb)
}

// grayValue is the sRGB gray level (0..255, unrounded) with the same
// lightness L* as the pixel: the sRGB encoding of its luminance Y.
func grayValue(r, g, b uint8) float32 {
	_, y, _ := rgbToXYZQ(r, g, b)
	return lookupQ(&encTable, y)
}
