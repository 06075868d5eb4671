package motcua

import "testing"

func TestMoney(t *testing.T) {
	for n, want := range map[int64]string{0: "0 đồng", 7000: "7.000 đồng", 50000: "50.000 đồng", 1200000: "1.200.000 đồng", -15000: "-15.000 đồng", 999: "999 đồng"} {
		if got := Money(n); got != want {
			t.Errorf("Money(%d) = %q, want %q", n, got, want)
		}
	}
}
