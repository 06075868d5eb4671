package motcua

import "strconv"

// GroupThousands writes n the Vietnamese way, dots between thousands:
// 1.500.000.
func GroupThousands(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	digits := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(digits)+len(digits)/3)
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, digits[i])
	}
	return sign + string(out)
}

// Money writes an amount of đồng as citizens read it: "50.000 đồng".
func Money(amount int64) string { return GroupThousands(amount) + " đồng" }
