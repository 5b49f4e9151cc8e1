package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
)

// The logo is a 3×3 mosaic of rounded tiles (tesserae), one of them, the
// "pretext", in a contrasting colour; web/icon.svg draws the same design.
var tileColors = [9]color.RGBA{
	{0x18, 0x64, 0xab, 0xff}, {0x1c, 0x7e, 0xd6, 0xff}, {0x4d, 0xab, 0xf7, 0xff},
	{0x1c, 0x7e, 0xd6, 0xff}, {0xf0, 0x8c, 0x00, 0xff}, {0x18, 0x64, 0xab, 0xff},
	{0x4d, 0xab, 0xf7, 0xff}, {0x18, 0x64, 0xab, 0xff}, {0x1c, 0x7e, 0xd6, 0xff},
}

// drawIcon renders the logo at size×size on a white rounded square.
func drawIcon(size int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	unit := float64(size) / 64 // the SVG's viewBox is 64×64
	inRounded := func(x, y, x0, y0, w, r float64) bool {
		if x < x0 || y < y0 || x > x0+w || y > y0+w {
			return false
		}
		cx := min(max(x, x0+r), x0+w-r)
		cy := min(max(y, y0+r), y0+w-r)
		return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
	}
	for py := range size {
		for px := range size {
			x, y := (float64(px)+0.5)/unit, (float64(py)+0.5)/unit
			if !inRounded(x, y, 0, 0, 64, 12) {
				continue
			}
			c := color.RGBA{0xff, 0xff, 0xff, 0xff}
			for i := range 9 {
				x0, y0 := 8+float64(i%3)*16.5, 8+float64(i/3)*16.5
				if inRounded(x, y, x0, y0, 14.5, 3) {
					c = tileColors[i]
				}
			}
			img.SetRGBA(px, py, c)
		}
	}
	return img
}

func writeIcons(dir string) error {
	for _, size := range []int{192, 512} {
		f, err := os.Create(filepath.Join(dir, "icon-"+strconv.Itoa(size)+".png"))
		if err != nil {
			return err
		}
		if err := png.Encode(f, drawIcon(size)); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
