package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/motcua/motcua/config"
)

// loadConfig reads the configuration; only flags the user set override it.
func loadConfig(cmd *cobra.Command) (*config.Config, error) {
	file, _ := cmd.Flags().GetString("config")
	set := pflag.NewFlagSet("set", pflag.ContinueOnError)
	cmd.Flags().Visit(func(f *pflag.Flag) { set.AddFlag(f) })
	cfg, _, err := config.Load(file, set)
	return cfg, err
}

// settingHelp is the help of a flag that overrides key: what it sets, its
// default and the other ways to set it.
func settingHelp(what, key string) string {
	return fmt.Sprintf("%s (default %v; also %s, or %s in the config file)", what, config.Defaults()[key], config.Env(key), key)
}
