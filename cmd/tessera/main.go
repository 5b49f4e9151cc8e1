// Command tessera pretrains a CNN on a self-supervised pretext task, trains
// classifiers on few labels (fine-tune, linear probe, or from scratch),
// evaluates and applies them, and runs the full comparison.
//
//	tessera pretrain   -data DIR -task rotation -out trunk.safetensors
//	tessera finetune   -model trunk.safetensors -data DIR -out model.safetensors
//	tessera eval       -model model.safetensors -data DIR
//	tessera predict    -model model.safetensors image.jpg...
//	tessera experiment -train DIR -test DIR -out results/
//	tessera insight    -model trunk.safetensors -data DIR -out insight/
//
// Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted (a
// checkpoint was saved).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
