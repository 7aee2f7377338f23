package geo

import (
	"errors"
	"os"
	"strings"
	"testing"

	"placematch"
)

// collect reads a CSV string into rows.
func collect(t *testing.T, csv string) ([]PostcodeRow, ReadStats, error) {
	t.Helper()
	var rows []PostcodeRow
	st, err := ReadPostcodes(strings.NewReader(csv), func(r PostcodeRow) error {
		rows = append(rows, r)
		return nil
	})
	return rows, st, err
}

func TestReadPostcodesLayouts(t *testing.T) {
	// The ONS Postcode Directory has dozens of columns in an order that changes
	// between releases; a few real ones are kept here to show they are ignored.
	const ons = "\ufeff\"pcd\",\"pcd2\",\"pcds\",\"dointr\",\"doterm\",\"oslaua\",\"osward\",\"lat\",\"long\"\n" +
		"\"NR2 1NH\",\"NR2  1NH\",\"NR2 1NH\",\"198001\",\"\",\"E07000148\",\"E05005795\",52.628510,1.292340\n" +
		"\"NR991AA\",\"NR99 1AA\",\"NR99 1AA\",\"200012\",\"\",\"E07000148\",\"E05005795\",99.999999,0.000000\n" + // ONS: no location
		"\"NR1 9ZZ\",\"NR1  9ZZ\",\"nr19zz\",\"200012\",\"\",\"E07000148\",\"E05005795\",52.62,1.30\n" + // lower case, no space
		"\"XX\",\"XX\",\"XX\",\"\",\"\",\"\",\"\",52.6,1.3\n" + // not a postcode
		"\"NR3 1AB\",\"NR3  1AB\",\"NR3 1AB\",\"\",\"\",\"\",\"\",,\n" + // no coordinates
		"\"NR3 1AD\",\"NR3  1AD\",\"NR3 1AD\",\"\",\"\",\"\",\"\"\n" // short row
	const simple = "postcode,latitude,longitude,positional_quality,admin_district_code,admin_district_name\n" +
		"NR19 1AA,52.681,0.939,10,E07000143,Breckland\n" +
		"PE30 1AA , 52.75 , 0.39 ,10,E07000146, King's Lynn and West Norfolk \n" +
		"NR1 1AA,north,1.3,10,,\n" + // unparsable latitude
		"NR1 1AB,52.6,181,10,,\n" + // longitude out of range
		"NR1 1AD,-90.5,1.3,10,,\n" + // latitude out of range
		"NR1+1AE,52.6,1.3,10,,\n" + // bad character
		"NR32 1AA,52.47,1.75\n" // short row, district column absent
	const simpleNoDistrict = "Latitude,Longitude,Postcode\n52.6,1.3,nr2 1ab\n"

	tests := []struct {
		name  string
		csv   string
		stats ReadStats
		want  []PostcodeRow
	}{
		{"ONS Postcode Directory", ons, ReadStats{Rows: 6, Valid: 2, Skipped: 4}, []PostcodeRow{
			{"NR2 1NH", placematch.Point{Lat: 52.62851, Lon: 1.29234}, "E07000148"},
			{"NR1 9ZZ", placematch.Point{Lat: 52.62, Lon: 1.30}, "E07000148"},
		}},
		{"simple", simple, ReadStats{Rows: 7, Valid: 3, Skipped: 4}, []PostcodeRow{
			{"NR19 1AA", placematch.Point{Lat: 52.681, Lon: 0.939}, "Breckland"},
			{"PE30 1AA", placematch.Point{Lat: 52.75, Lon: 0.39}, "King's Lynn and West Norfolk"},
			{"NR32 1AA", placematch.Point{Lat: 52.47, Lon: 1.75}, ""},
		}},
		{"simple, other order, no district", simpleNoDistrict, ReadStats{Rows: 1, Valid: 1}, []PostcodeRow{
			{"NR2 1AB", placematch.Point{Lat: 52.6, Lon: 1.3}, ""},
		}},
		{"header only", "pcds,lat,long\n", ReadStats{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, st, err := collect(t, tt.csv)
			if err != nil {
				t.Fatal(err)
			}
			if st != tt.stats {
				t.Errorf("stats = %+v, want %+v", st, tt.stats)
			}
			if len(rows) != len(tt.want) {
				t.Fatalf("rows = %+v, want %+v", rows, tt.want)
			}
			for i := range rows {
				if rows[i] != tt.want[i] {
					t.Errorf("row %d = %+v, want %+v", i, rows[i], tt.want[i])
				}
			}
		})
	}
}

func TestReadPostcodesErrors(t *testing.T) {
	tests := []struct {
		name, csv, want string
	}{
		{"empty", "", "empty"},
		{"unknown header", "code,x,y\nNR2 1AB,1,2\n", "header not recognised"},
		{"broken quoting", "postcode,latitude,longitude\n\"NR2 1AB,52.6,1.3\nNR2 1AD\",52,1\n\"x\"y,1,2\n", "postcode file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := collect(t, tt.csv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestReadPostcodesStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	st, err := ReadPostcodes(strings.NewReader("postcode,latitude,longitude\nNR2 1AB,52.6,1.3\nNR2 1AD,52.6,1.3\n"),
		func(PostcodeRow) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 || st.Valid != 1 {
		t.Errorf("err = %v, calls = %d, stats = %+v", err, calls, st)
	}
}

// TestReadPostcodesNorfolk reads the real OS Code-Point Open extract.
func TestReadPostcodesNorfolk(t *testing.T) {
	f, err := os.Open(dataPath(t, "postcodes/norfolk_postcodes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	districts := map[string]int{}
	st, err := ReadPostcodes(f, func(r PostcodeRow) error {
		if seen[r.Postcode] {
			t.Errorf("duplicate postcode %s", r.Postcode)
		}
		seen[r.Postcode] = true
		districts[r.District]++
		// Every row lies in or near Norfolk.
		if r.Point.Lat < 52 || r.Point.Lat > 53.1 || r.Point.Lon < 0 || r.Point.Lon > 1.8 {
			t.Errorf("%s at %v is nowhere near Norfolk", r.Postcode, r.Point)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("norfolk_postcodes.csv: %+v", st)
	if st != (ReadStats{Rows: 30612, Valid: 30612}) {
		t.Errorf("stats = %+v, want 30612 rows, all valid", st)
	}
	if districts["Norwich"] != 3318 || districts["Waveney"] != 2963 {
		t.Errorf("district counts: Norwich %d, Waveney %d", districts["Norwich"], districts["Waveney"])
	}
}
