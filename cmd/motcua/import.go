package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/motcua/motcua/procedures"
)

// withImport adds `import` to the procedures command.
func withImport(cmd *cobra.Command) *cobra.Command {
	cmd.AddCommand(importCmd())
	return cmd
}

func importCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Turn the province's catalogue exported from the national database of administrative procedures (CSV or JSON, README) into level-2 definitions in --out",
		Long: `Reads the export (one row per procedure: Mã thủ tục, Tên thủ tục, Lĩnh vực, Cơ quan thực hiện, Cấp thực hiện,
Dịch vụ công trực tuyến, Thời hạn giải quyết, Phí, lệ phí, Thành phần hồ sơ, Căn cứ pháp lý, ...) and writes one
definition per row, tthc-<national code>.yaml, into --out, checked as 'procedures validate' checks them. A row whose
national code a full definition already carries is skipped. With --embedded (the default) the built-in definitions are
written too, so --out is a whole catalogue for the procedures.dir setting. Files already in --out are kept unless
--overwrite.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, _ := cmd.Flags().GetString("out")
			place, _ := cmd.Flags().GetString("place")
			embedded, _ := cmd.Flags().GetBool("embedded")
			overwrite, _ := cmd.Flags().GetBool("overwrite")
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			rows, err := procedures.ReadNational(args[0], f)
			f.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			existing, err := procedures.Embedded()
			if err != nil {
				return err
			}
			defs, skipped, problems := procedures.Import(rows, procedures.ImportOptions{Existing: existing, Place: place})
			files := procedures.ImportFiles(defs)
			if embedded {
				builtin, err := procedures.EmbeddedFiles()
				if err != nil {
					return err
				}
				for name, data := range builtin {
					files[name] = data
				}
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			names := make([]string, 0, len(files))
			for name := range files {
				names = append(names, name)
			}
			slices.Sort(names)
			written, kept := 0, 0
			for _, name := range names {
				path := filepath.Join(out, name)
				if _, err := os.Stat(path); err == nil && !overwrite {
					kept++
					continue
				} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
				if err := os.WriteFile(path, files[name], 0o644); err != nil {
					return err
				}
				written++
			}
			w := cmd.OutOrStdout()
			for _, s := range skipped {
				fmt.Fprintln(w, "skipped", s)
			}
			fmt.Fprintf(w, "%d rows: %d definitions made, %d skipped, %d with problems; %d files written to %s, %d kept\n",
				len(rows), len(defs), len(skipped), len(problemRows(problems)), written, out, kept)
			if len(problems) > 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), problems)
				return fmt.Errorf("%d rows could not be imported", len(problemRows(problems)))
			}
			return nil
		},
	}
	cmd.Flags().String("out", "catalogue", "the catalogue directory to write the definitions into")
	cmd.Flags().String("place", "Quảng Nam", "whose units an agency name means when the registry has several (Sở Tư pháp tỉnh Quảng Nam)")
	cmd.Flags().Bool("embedded", true, "also write the built-in definitions, so --out is a whole catalogue")
	cmd.Flags().Bool("overwrite", false, "replace files already in --out")
	return cmd
}

func problemRows(ps procedures.Problems) map[string]bool {
	rows := map[string]bool{}
	for _, p := range ps {
		rows[p.File] = true
	}
	return rows
}
