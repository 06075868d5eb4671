package workflows

import (
	"cmp"
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/motcua/motcua"
)

// Handing the result over (trả kết quả): at the desk, online or by post.

// deliver hands the result over (trả kết quả). An online result is
// delivered the moment it is issued: the applicant downloads it.
func (c *caseRun) deliver(ctx workflow.Context) error {
	if c.state.Delivery.Method == motcua.DeliveryOnline {
		c.system(ctx, motcua.EventDelivered, motcua.StatusCompleted, "Kết quả được trả trực tuyến.")
		return nil
	}
	if c.version >= versionBackends && c.state.Delivery.Method == motcua.DeliveryPost {
		return c.post(ctx)
	}
	return c.deliverAtDesk(ctx)
}

// deliverAtDesk waits for the desk to hand the result over.
func (c *caseRun) deliverAtDesk(ctx workflow.Context) error {
	p, _, err := c.await(ctx, stage{status: motcua.StatusResultReady, step: "delivery", actions: []motcua.Permission{
		c.perm(motcua.ActionDeliver, motcua.StepDeliver, motcua.RoleReceiver),
	}})
	if err != nil {
		return err
	}
	c.act(ctx, p, motcua.StatusCompleted)
	return nil
}

func deliveryWord(method string) string {
	switch method {
	case motcua.DeliveryOnline:
		return "Ông/bà tải kết quả trên Cổng dịch vụ công."
	case motcua.DeliveryPost:
		return "Kết quả được gửi qua bưu chính."
	}
	return "Mời ông/bà nhận kết quả tại bộ phận một cửa."
}

// post sends the result by public post and follows its tracking until it is
// delivered. A shipment that comes back waits for the desk.
func (c *caseRun) post(ctx workflow.Context) error {
	req := ShipmentRequest{IdempotencyKey: c.state.Code + "-post", Recipient: c.state.Applicant.Name, Phone: c.state.Applicant.Phone,
		Address: c.state.Delivery.Address, Contents: fmt.Sprintf("%s — hồ sơ %s", c.proc.Result.Name, c.state.Code)}
	delivery := stage{status: motcua.StatusResultReady, step: "delivery", actions: []motcua.Permission{
		{Action: motcua.ActionPostalTracking, Role: motcua.RoleSystem},
		c.perm(motcua.ActionDeliver, motcua.StepDeliver, motcua.RoleReceiver),
	}}
	if err := c.recordNow(ctx, delivery); err != nil {
		return err
	}
	sh, err := createShipment.run(ctx, req)
	if err != nil {
		c.system(ctx, motcua.EventCheckFailed, "", "Không tạo được vận đơn bưu chính; bộ phận một cửa gửi thủ công.")
		return c.deliverAtDesk(ctx)
	}
	c.state.Delivery.Tracking = sh.Tracking
	c.system(ctx, motcua.EventPosted, "", "Đã gửi kết quả qua bưu chính công ích, số hiệu "+sh.Tracking+".")
	for {
		p, _, err := c.await(ctx, delivery)
		if err != nil {
			return err
		}
		if p.req.Action == motcua.ActionDeliver {
			c.act(ctx, p, motcua.StatusCompleted)
			return nil
		}
		var d TrackingData
		_ = json.Unmarshal(p.req.Data, &d)
		if d.Tracking != c.state.Delivery.Tracking {
			p.done = true
			continue
		}
		p.req.Note = cmp.Or(d.Note, d.Status)
		if d.Status == "delivered" {
			c.act(ctx, p, motcua.StatusCompleted)
			return nil
		}
		c.act(ctx, p, "")
	}
}
